// Lint rules for the widget: ESLint's and typescript-eslint's recommended sets, and a ban on the
// DOM APIs that would parse message text as HTML.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Build DOM nodes; never parse text as HTML." },
        { property: "outerHTML", message: "Build DOM nodes; never parse text as HTML." },
        { property: "insertAdjacentHTML", message: "Build DOM nodes; never parse text as HTML." },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "AssignmentExpression > MemberExpression.left[property.name='innerHTML']",
          message: "Build DOM nodes; never parse text as HTML.",
        },
      ],
    },
  },
);
