// Random numbers that can be replayed: the demo data's choices, and the faults' with --fault-seed.

/** A source of numbers in [0, 1): `Math.random`, or `seededRandom(seed)` for a run that can be replayed. */
export type Random = () => number;

/** mulberry32: a tiny, fast PRNG; the same seed gives the same sequence on every platform. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
