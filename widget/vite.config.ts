/**
 * Builds the chat page (`dist/widget/chat.html` and its assets under `dist/widget/assets`) and
 * the demo site (`dist/demo/*.html`). The loader is built separately as one classic script
 * (`vite.loader.config.ts`), because host pages include it with a plain `<script async>`.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const page = (path: string) => fileURLToPath(new URL(`./site/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL("./site", import.meta.url)),
  base: "./",
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    target: "es2020",
    rollupOptions: {
      input: {
        chat: page("widget/chat.html"),
        demo: page("demo/index.html"),
        pricing: page("demo/pricing.html"),
        contact: page("demo/contact.html"),
      },
      output: {
        entryFileNames: "widget/assets/[name]-[hash].js",
        chunkFileNames: "widget/assets/[name]-[hash].js",
        assetFileNames: (asset) =>
          asset.names.some((name) => name.startsWith("demo"))
            ? "demo/assets/[name]-[hash][extname]"
            : "widget/assets/[name]-[hash][extname]",
      },
    },
  },
});
