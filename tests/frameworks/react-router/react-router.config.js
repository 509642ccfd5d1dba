// SPA mode (no server rendering): a static site in build/client; nothing for Convertro.
export default { ssr: false };
