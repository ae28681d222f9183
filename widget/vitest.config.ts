/** Unit tests of the widget's logic, in a simulated DOM (happy-dom). */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.ts"],
  },
});
