// Nuxt's defaults (`nuxt generate`: a static site in .output/public); nothing for Convertro.
export default defineNuxtConfig({ telemetry: false });
