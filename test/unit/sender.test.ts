import { expect } from 'chai';
import { postWebhook } from '../../src/webhooks/sender.js';

describe('webhook sender', () => {
  it('answers an unusable URL with an error result instead of throwing', async () => {
    for (const url of ['http://x:99999/', 'not a url', '']) {
      const result = await postWebhook(url, '{}', {}, 1000);
      expect(result.status, url).to.equal(null);
      expect(result.error, url).to.match(/invalid URL/);
    }
  });
});
