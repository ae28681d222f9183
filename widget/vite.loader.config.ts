/**
 * Builds `dist/widget/loader.js`: the tiny script a site includes. One self-contained classic
 * script (an IIFE, no module syntax, no globals), with a stable name so sites can link it.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL("./dist/widget", import.meta.url)),
    emptyOutDir: false,
    target: "es2020",
    lib: {
      entry: fileURLToPath(new URL("./src/loader/loader.ts", import.meta.url)),
      formats: ["iife"],
      name: "SwitchboardLoader",
      fileName: () => "loader.js",
    },
  },
});
