import { parseArgs } from 'node:util';
import { ModelFetchError } from './fetch-errors';
import { FetchModelOptions } from './fetch-model';
import { DEFAULT_ENDPOINT } from './hub-client';
import { defaultModelDir, isVariant, VARIANTS } from './model-files';

export const USAGE = `usage: npm run model:fetch -- --model <hub id> [--variant ${VARIANTS.join('|')}] [--out models/<name>] [--endpoint URL] [--revision REV]

  --model     hub id of a CLIP ONNX export, e.g. Xenova/clip-vit-base-patch32
  --variant   tower precision, default fp32; always saved as onnx/text_model.onnx and onnx/vision_model.onnx
  --out       destination folder, default models/<last part of the id>
  --endpoint  hub base URL, default $HF_ENDPOINT or ${DEFAULT_ENDPOINT}
  --revision  branch, tag or commit, default main
environment: HF_TOKEN (bearer token for private or gated models), HF_ENDPOINT`;

/** The variables the CLI honours, passed in so parsing stays a pure function. */
export interface CliEnvironment {
  HF_ENDPOINT?: string;
  HF_TOKEN?: string;
}

export type CliCommand = { kind: 'help' } | { kind: 'fetch'; options: FetchModelOptions };

export class UsageError extends ModelFetchError {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
  }
}

/** Reads argv (without node and the script) into fetch options; --endpoint wins over HF_ENDPOINT. */
export function parseCliArgs(argv: string[], env: CliEnvironment): CliCommand {
  const { values, positionals } = parseStrict(argv);
  if (values.help) return { kind: 'help' };
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.model) throw new UsageError('--model is required');
  const variant = values.variant ?? 'fp32';
  if (!isVariant(variant))
    throw new UsageError(`--variant must be one of ${VARIANTS.join(', ')}, got "${variant}"`);
  return {
    kind: 'fetch',
    options: {
      model: values.model,
      variant,
      outDir: values.out ?? defaultModelDir(values.model),
      endpoint: values.endpoint || env.HF_ENDPOINT || DEFAULT_ENDPOINT,
      revision: values.revision ?? 'main',
      token: env.HF_TOKEN || undefined,
    },
  };
}

function parseStrict(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        model: { type: 'string' },
        variant: { type: 'string' },
        out: { type: 'string' },
        endpoint: { type: 'string' },
        revision: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
