import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';

// Uint8Array is already shared by jest-environment-node.
const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

/**
 * Jest's Node environment for every test file (jest.config.js), so tests can run ONNX Runtime.
 *
 *
 * onnxruntime-node returns output tensors whose typed arrays belong to Node's main realm, and
 * onnxruntime-common (loaded inside Jest's sandbox) checks them with `instanceof` against the
 * sandbox's own constructors, so every `run` fails with "A float32 tensor's data must be type of
 * function Float32Array()". Giving the sandbox the main realm's constructors makes the check pass.
 */
export default class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    for (const name of TYPED_ARRAYS)
      (this.global as Record<string, unknown>)[name] = globalThis[name];
  }
}
