import { defineConfig } from 'astro/config';

// Astro's defaults: a static site in dist/; nothing for Convertro.
export default defineConfig({ telemetry: false });
