// Stands in for Convertro's tag in the latency bench (bench/latency.mjs): it loads, and leaves $CVO alone.
