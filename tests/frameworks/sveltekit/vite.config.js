import adapter from '@sveltejs/adapter-static';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// A static site in build/ (adapter-static); nothing for Convertro.
export default defineConfig({ plugins: [sveltekit({ adapter: adapter() })] });
