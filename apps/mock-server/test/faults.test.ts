import { describe, expect, it } from 'vitest';
import { FaultHeaderError, type FaultPlan, decide, noFaults, parseFaultPlan } from '../src/faults.js';
import { seededRandom } from '../src/random.js';

// The pure parts of fault injection: reading a request's fault headers, the seeded PRNG,
// and the decision that combines the global switches with a request's own plan.

const declared = [200, 401, 404, 429, 500];

describe('parseFaultPlan', () => {
  it.each<[string, Record<string, string>, FaultPlan | undefined]>([
    ['no fault headers', {}, undefined],
    ['Prefer without code', { prefer: 'return=minimal' }, undefined],
    ['Prefer: code=404', { prefer: 'code=404' }, { status: 404 }],
    ['Prefer with other preferences', { prefer: 'return=minimal, code=429; example=x' }, { status: 429 }],
    ['latency in ms', { 'x-dtm-fault': 'latency=200ms' }, { latencyMs: 200 }],
    ['latency in s', { 'x-dtm-fault': 'latency=1.5s' }, { latencyMs: 1500 }],
    ['latency as a bare number of ms', { 'x-dtm-fault': 'latency=30' }, { latencyMs: 30 }],
    ['status', { 'x-dtm-fault': 'status=503' }, { status: 503 }],
    ['drop', { 'x-dtm-fault': 'drop' }, { drop: true }],
    ['all three, spaces around', { 'x-dtm-fault': ' latency=200ms , status=503 ,drop' }, { latencyMs: 200, status: 503, drop: true }],
    ['X-Dtm-Fault status wins over Prefer', { prefer: 'code=404', 'x-dtm-fault': 'status=502' }, { status: 502 }],
  ])('%s', (_name, headers, want) => {
    expect(parseFaultPlan(headers, declared)).toEqual(want);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['an undeclared Prefer code', { prefer: 'code=503' }, /code=503 .*use one of 401, 404, 429, 500/],
    ['a Prefer success code', { prefer: 'code=200' }, /code=200/],
    ['a Prefer code that is not a number', { prefer: 'code=abc' }, /code=abc/],
    ['an unknown fault', { 'x-dtm-fault': 'latency=5ms,explode' }, /"explode" is not a fault/],
    ['a latency without unit digits', { 'x-dtm-fault': 'latency=fast' }, /latency=fast/],
    ['a latency over a minute', { 'x-dtm-fault': 'latency=61s' }, /latency=61s .*60s/],
    ['a success status', { 'x-dtm-fault': 'status=200' }, /status=200 must be an error status/],
    ['drop with a value', { 'x-dtm-fault': 'drop=yes' }, /"drop=yes"/],
    ['an empty header', { 'x-dtm-fault': '' }, /"" is not a fault/],
  ])('rejects %s, naming the bad part', (_name, headers, named) => {
    expect(() => parseFaultPlan(headers, declared)).toThrow(FaultHeaderError);
    expect(() => parseFaultPlan(headers, declared)).toThrow(named);
  });

  it('says so when an operation declares no error status', () => {
    expect(() => parseFaultPlan({ prefer: 'code=500' }, [])).toThrow(/declares none/);
  });

  it('ignores Prefer on a path that is not an operation, but not X-Dtm-Fault', () => {
    expect(parseFaultPlan({ prefer: 'code=500' }, undefined)).toBeUndefined();
    expect(parseFaultPlan({ prefer: 'code=500', 'x-dtm-fault': 'status=502' }, undefined)).toEqual({ status: 502 });
  });
});

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const take = (seed: number): number[] => Array.from({ length: 20 }, seededRandom(seed));
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
    expect(take(42).every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('decide', () => {
  const never = (): number => 0.999;
  const always = (): number => 0;

  it('does nothing with no faults and no plan, drawing no random number', () => {
    let draws = 0;
    expect(decide({ ...noFaults }, undefined, () => (draws++, 0))).toEqual({ drop: false, delayMs: 0 });
    expect(draws).toBe(0);
  });

  it.each<[string, Partial<typeof noFaults>, FaultPlan | undefined, () => number, ReturnType<typeof decide>]>([
    ['a plan drop', {}, { drop: true }, never, { drop: true, delayMs: 0 }],
    ['a global drop', { dropRate: 0.5 }, undefined, always, { drop: true, delayMs: 0 }],
    ['the global latency plus jitter', { latencyMs: 100, jitterMs: 50 }, undefined, () => 0.5, { drop: false, delayMs: 125 }],
    ['a plan latency instead of the global one', { latencyMs: 100, jitterMs: 50 }, { latencyMs: 10 }, never, { drop: false, delayMs: 10 }],
    [
      'a plan status over the error rate',
      { errorRate: 1 },
      { status: 404 },
      always,
      { drop: false, delayMs: 0, error: { status: 404, detail: 'Injected fault: the request asked for 404.' } },
    ],
    [
      'a global error',
      { errorRate: 0.5, errorStatuses: [502] },
      undefined,
      always,
      { drop: false, delayMs: 0, error: { status: 502, detail: 'Injected fault: the mock answers 502 to 50% of requests.' } },
    ],
    ['a plan latency, the global error drawn and missed', { errorRate: 0.5 }, { latencyMs: 5 }, never, { drop: false, delayMs: 5 }],
  ])('%s', (_name, faults, plan, random, want) => {
    expect(decide({ ...noFaults, ...faults }, plan, random)).toEqual(want);
  });
});
