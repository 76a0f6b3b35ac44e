// Unit tests live beside the code (*.spec.ts); e2e tests in e2e/ talk to real Redis, Chroma and services.
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    `<rootDir>/${target}`,
  ]),
);
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
    },
  ],
};
// Explicit roots keep jest from crawling virtualenvs and model folders.
const roots = ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/scripts', '<rootDir>/e2e'];
// onnxruntime-node's tensors must pass instanceof checks inside jest's sandbox; see the file.
const testEnvironment = '<rootDir>/jest/onnx-runtime.environment.ts';
const shared = {
  roots,
  testEnvironment,
  transform,
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // e2e tests start services and ingest catalogues; unit tests finish far sooner.
  testTimeout: 120000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/services/**/*.spec.ts',
        '<rootDir>/scripts/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/e2e/harness/global-setup.ts',
      globalTeardown: '<rootDir>/e2e/harness/global-teardown.ts',
    },
  ],
};
