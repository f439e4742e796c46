import { defineConfig } from "vite";

export default defineConfig({
  // The dev server's dependency pre-bundling would move the glue away from its .wasm file
  // (`new URL("kling_omni_bg.wasm", import.meta.url)`); a production build needs nothing.
  optimizeDeps: { exclude: ["kling-omni"] },
  // The app awaits init() at the top level of its module.
  build: { target: "es2022" },
});
