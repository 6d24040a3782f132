/**
 * @file The coverage timeline: stacked bars by outlet that add up to the date facet, a legend
 * whose outlets filter the search, and who covered the matches first.
 */

import assert from 'node:assert/strict';

import { browser_suite, screenshot } from './harness.js';
import { assert_clean, load, params, searched } from './page_helpers.js';

browser_suite('coverage timeline', (test) => {
  test('the timeline stacks each bucket by outlet, names the first, and its legend filters', async (app) => {
    const answer = await app.api('/api/search?q=brannock&facets=timeline');
    const { timeline, date } = answer.facets;
    assert.ok(timeline.outlets.length >= 2, 'the test index should have several outlets writing about Brannock');
    timeline.buckets.forEach((bucket, index) => {
      assert.equal(bucket.counts.reduce((a, b) => a + b, 0) + bucket.other, date.buckets[index].count, bucket.key);
    });

    const { page, context, problems } = await app.open();
    await load(page, '/?q=brannock');
    const section = page.locator('#timeline');
    await section.locator('.segment').first().waitFor();
    const drawn = await section.locator('.segment').evaluateAll((rects) => rects.reduce((sum, rect) => sum + Number(rect.dataset.count), 0));
    const dated = timeline.buckets.reduce((sum, bucket) => sum + bucket.counts.reduce((a, b) => a + b, 0) + bucket.other, 0);
    assert.equal(drawn, dated, 'the bars should show every dated article');
    assert.equal(dated + timeline.undated, answer.total_articles);
    assert.match(await section.locator('.timeline-first').textContent(), /^First covered by /);
    const legend = section.locator('button.legend-item');
    assert.equal(await legend.count(), timeline.outlets.length);
    await screenshot(page, 'timeline', { full_page: false });

    const outlet = timeline.outlets[0];
    await searched(page, () => legend.first().click());
    assert.deepEqual(params(page).getAll('outlet'), [outlet]);
    const pressed = section.locator(`button.legend-item[data-outlet="${outlet}"]`);
    assert.equal(await pressed.getAttribute('aria-pressed'), 'true');
    await searched(page, () => pressed.click());
    assert.deepEqual(params(page).getAll('outlet'), []);
    assert_clean(problems);
    await context.close();
  });

  test('the timeline hides when nothing dated matches', async (app) => {
    const { page, context, problems } = await app.open();
    await load(page, '/?q=zzzznotawordanywhere');
    assert.equal(await page.locator('#timeline').isHidden(), true);
    assert_clean(problems);
    await context.close();
  });
});
