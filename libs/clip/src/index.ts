export { ClipModel, type ClipModelOptions, type TowerName } from './clip.model';
export { ClipTokenizer, type TokenizedText } from './clip-tokenizer';
export {
  ClipImagePreprocessor,
  type ClipImagePreprocessorOptions,
  DEFAULT_MAX_PIXELS,
} from './clip-image.preprocessor';
export {
  readClipModelConfig,
  type ClipModelConfig,
  type ImagePreprocessing,
} from './clip-model.config';
export { MicroBatcher, type MicroBatcherOptions } from './micro-batcher';
export {
  ClipModelError,
  EmptyTextError,
  ImageDecodeError,
  ImageTooLargeError,
} from './clip.errors';
export type { ClipLogger, ExecutionProvider } from './onnx-session.factory';
