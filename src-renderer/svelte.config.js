// Svelte compiler options for the renderer (read by @sveltejs/vite-plugin-svelte).
export default {
  compilerOptions: { runes: true },
};
