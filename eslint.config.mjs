import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import pluginQuery from "@tanstack/eslint-plugin-query";

/** The browser code: pages and components, and its data layer. */
const BROWSER_FILES = [
  "app/**/*.tsx",
  "components/**/*.tsx",
  "components/**/*.ts",
  "lib/queries/**/*.ts",
  "lib/queries/**/*.tsx",
];

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".data/**",
      "lib/server/upstream/platform.d.ts",
      "tests/c8y-client/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "*.config.mjs",
      "scripts/*.mjs",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: BROWSER_FILES,
    plugins: { "react-hooks": reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // TanStack Query's own rules (query keys complete, stable clients, option order) for the code that uses it.
  ...pluginQuery.configs["flat/recommended"].map((config) => ({ ...config, files: BROWSER_FILES })),
  {
    // Tests may poke at untyped JSON freely.
    files: ["**/*.test.ts", "**/*.test.tsx", "e2e/**/*.ts", "tests/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);
