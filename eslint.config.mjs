// Lint rules, among them the ones that keep the layers apart (docs/architecture.md, "Layers"): every folder of src/ has a
// block below, and test/architecture/lint-layers.test.ts proves each one refuses an import its layer must not make.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ui = ['react', 'react-dom', 'react/*', '@xyflow/*', '@vscode-elements/*'];
const io = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https'];
const forbid = (groups, message) => ({ group: groups, message });

/** Pure layers: no I/O, no VS Code, no UI, no Azure, and none of the outer layers. */
const pure = [
  forbid(['vscode'], 'pure layers never import vscode'),
  forbid(ui, 'pure layers never import UI libraries'),
  forbid(io, 'pure layers do no I/O: the CLI or the extension reads files and hands them in'),
  forbid(['@azure/*'], 'only src/deploy talks to Azure'),
  forbid(['**/cli/**', '**/extension/**', '**/webview/**', '**/deploy/**', '**/workspace/**'], 'pure layers never import outer layers'),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tools/**', '.e2e/**', 'out/**', 'test/fixtures/**', 'e2e/**', 'demo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/schemas/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [forbid(['../*', '../**'], 'src/schemas imports nothing of ours'), ...pure] }],
    },
  },
  {
    files: ['src/model/**', 'src/x509/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...pure, forbid(['**/validation/**', '**/generators/**', '**/document/**', '**/designs/**', '**/pki/**', '**/trace/**', '**/rehearsal/**'], 'the model layer builds on src/schemas only; the other pure layers build on it')] },
      ],
    },
  },
  {
    files: ['src/generators/**', 'src/document/**', 'src/designs/**', 'src/pki/**', 'src/trace/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...pure, forbid(['**/validation/**'], 'generators and the other pure layers build on src/model, never on the rules')] }] },
  },
  {
    files: ['src/validation/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: pure }] },
  },
  {
    files: ['src/deploy/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [forbid(['vscode'], 'src/deploy never imports vscode'), forbid(ui, 'no UI in deploy'), forbid(['**/extension/**', '**/webview/**', '**/cli/**'], 'deploy never imports outer layers')] },
      ],
    },
  },
  {
    files: ['src/webview/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['vscode'], 'the webview talks to the host through messages only'),
            forbid([...io, 'node:*'], 'the webview runs in a browser'),
            forbid(['**/extension/**', '**/cli/**', '**/deploy/**', '**/document/**'], 'the webview renders and sends intents; it never owns the model'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [forbid(['vscode'], 'the CLI runs without VS Code'), forbid(['**/extension/**', '**/webview/**'], 'the CLI never imports the extension or the webview')] }] },
  },
  {
    files: ['src/workspace/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [forbid(['vscode'], 'the workspace layer is shared by the CLI and the extension'), forbid(ui, 'no UI in the workspace layer'), forbid(['**/extension/**', '**/webview/**', '**/cli/**'], 'the workspace layer never imports a front end')] },
      ],
    },
  },
  {
    files: ['src/rehearsal/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['vscode'], 'the rehearsal runs without VS Code'),
            forbid(ui, 'no UI in the rehearsal'),
            forbid(['@azure/*'], 'only src/deploy talks to Azure'),
            forbid(['**/cli/**', '**/extension/**', '**/webview/**', '**/deploy/**', '**/workspace/**'], 'the rehearsal is handed its materials; it never imports a front end'),
            forbid(['**/validation/**'], 'the rehearsal builds on src/model, never on the rules'),
          ],
        },
      ],
    },
  },
  {
    files: ['src/extension/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [forbid(['**/cli/**'], 'the extension shares files through src/workspace, never the command line'), forbid(['**/webview/**'], 'the extension talks to the webview through messages only')] }] },
  },
);
