import { formatProgress, progressLog } from './progress-log';

describe(progressLog.name, () => {
  it('writes at most one line per interval', () => {
    let time = 0;
    const lines: string[] = [];
    const report = progressLog('onnx/vision_model.onnx', (line) => lines.push(line), {
      intervalMs: 1000,
      now: () => time,
    });

    time = 500;
    report(1_000_000, 351_500_000);
    time = 1000;
    report(120_400_000, 351_500_000);
    time = 1500;
    report(130_000_000, 351_500_000);

    expect(lines).toEqual(['onnx/vision_model.onnx 120.4/351.5 MB (34%)']);
  });
});

describe(formatProgress.name, () => {
  it('shows bytes alone when the total is unknown', () => {
    expect(formatProgress(2_500, undefined)).toBe('2.5 kB');
    expect(formatProgress(12, undefined)).toBe('12 B');
  });
});
