import { defineConfig } from "vitest/config";

// The agent UI is served by the Tauri core from ui/dist; it never loads anything remote.
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // no inline scripts or styles: the CSP forbids them
    assetsInlineLimit: 0,
    // the main window, and the snipping tool's overlay windows
    rollupOptions: { input: { main: "index.html", snip: "snip.html" } },
  },
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.ts"],
  },
});
