import { expect } from 'chai';
import { createLoginThrottle } from '../../src/http/login-throttle.js';

describe('login throttle', () => {
  it('lets five wrong tokens through, then doubles the wait after each further failure', () => {
    let now = 1_000_000;
    const throttle = createLoginThrottle(() => now);
    for (let i = 0; i < 4; i++) throttle.failed('a');
    expect(throttle.waitMs('a')).to.equal(0);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      throttle.failed('a');
      waits.push(throttle.waitMs('a'));
      now += throttle.waitMs('a');
    }
    expect(waits).to.deep.equal([1000, 2000, 4000, 8000, 16000]);
    expect(throttle.waitMs('b'), 'other addresses are not slowed').to.equal(0);
  });

  it('caps the wait at 15 minutes, clears on success and forgets quiet addresses', () => {
    let now = 0;
    const throttle = createLoginThrottle(() => now);
    for (let i = 0; i < 40; i++) throttle.failed('a');
    expect(throttle.waitMs('a')).to.equal(15 * 60_000);
    throttle.succeeded('a');
    expect(throttle.waitMs('a')).to.equal(0);
    for (let i = 0; i < 6; i++) throttle.failed('b');
    expect(throttle.waitMs('b')).to.equal(2000);
    now += 15 * 60_000 + 1;
    expect(throttle.waitMs('b')).to.equal(0);
    throttle.failed('b');
    expect(throttle.waitMs('b'), 'counting starts again').to.equal(0);
  });
});
