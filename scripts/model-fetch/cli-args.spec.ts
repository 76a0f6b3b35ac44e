import { parseCliArgs, UsageError } from './cli-args';

describe(parseCliArgs.name, () => {
  it('defaults to fp32, main, the public hub and models/<last part of the id>', () => {
    expect(parseCliArgs(['--model', 'Xenova/clip-vit-base-patch32'], {})).toEqual({
      kind: 'fetch',
      options: {
        model: 'Xenova/clip-vit-base-patch32',
        variant: 'fp32',
        outDir: 'models/clip-vit-base-patch32',
        endpoint: 'https://huggingface.co',
        revision: 'main',
        token: undefined,
      },
    });
  });

  it('takes the endpoint from HF_ENDPOINT unless --endpoint is given', () => {
    const env = { HF_ENDPOINT: 'https://mirror.example' };
    expect(parseCliArgs(['--model', 'a/b'], env)).toMatchObject({
      options: { endpoint: 'https://mirror.example' },
    });
    expect(parseCliArgs(['--model', 'a/b', '--endpoint', 'http://127.0.0.1:9'], env)).toMatchObject(
      { options: { endpoint: 'http://127.0.0.1:9' } },
    );
  });

  it('passes HF_TOKEN on and honours --variant, --out and --revision', () => {
    const command = parseCliArgs(
      ['--model', 'a/b', '--variant', 'quantized', '--out', 'models/x', '--revision', 'v1'],
      { HF_TOKEN: 'hf_secret' },
    );
    expect(command).toMatchObject({
      options: { variant: 'quantized', outDir: 'models/x', revision: 'v1', token: 'hf_secret' },
    });
  });

  it('refuses a missing model, an unknown variant and unknown options with the usage', () => {
    expect(() => parseCliArgs([], {})).toThrow(UsageError);
    expect(() => parseCliArgs([], {})).toThrow(
      /--model is required[\s\S]*usage: npm run model:fetch/,
    );
    expect(() => parseCliArgs(['--model', 'a/b', '--variant', 'int4'], {})).toThrow(
      /--variant must be one of fp32, fp16, quantized, got "int4"/,
    );
    expect(() => parseCliArgs(['--model', 'a/b', '--force'], {})).toThrow(UsageError);
  });

  it('answers --help without requiring a model', () => {
    expect(parseCliArgs(['--help'], {})).toEqual({ kind: 'help' });
  });
});
