/**
 * @file Languages on the search page, in a real browser against the real server: each hit's
 * language shown and set on its text, the language facet and filter, a Latin query finding a
 * Cyrillic article, right-to-left text, and a search box that takes any script.
 */

import assert from 'node:assert/strict';

import { browser_suite, screenshot } from './harness.js';
import { assert_clean, chips, hits, load, params, searched } from './page_helpers.js';

const kRussianOkafor = 'https://estuary-segodnya.example/politika/okafor-izbrana-merom';
const kArabic = 'https://sahifat-almasab.example/akhbar/idrab-mina-marlow';

/** The language facet as shown: code, name, count, checked. */
function lang_facet(page) {
  return page.locator('#lang-list .facet-item').evaluateAll((items) => items.map((item) => ({
    value: item.querySelector('input').value,
    name: item.querySelector('.facet-name').textContent,
    count: Number(item.querySelector('.facet-count').textContent.replace(/[^\d]/g, '')),
    checked: item.querySelector('input').checked,
  })));
}

browser_suite('languages', (test) => {
  test('a Latin query finds the Cyrillic article; the language facet narrows to it', async (app) => {
    const { page, context, problems } = await app.open();
    await load(page, '/?q=Okafor');
    const expected = await app.api('/api/search?q=Okafor');
    const russian = expected.facets.lang.find((entry) => entry.value === 'ru');
    assert.ok(russian && russian.count === 1, 'the Russian sample should match Okafor');
    const facet = await lang_facet(page);
    assert.deepEqual(facet.map((entry) => entry.value), expected.facets.lang.map((entry) => entry.value));
    assert.ok(facet.some((entry) => entry.name === 'Russian' && entry.count === 1 && !entry.checked));

    await searched(page, () => page.locator('#lang-list input[value="ru"]').check());
    assert.deepEqual(params(page).getAll('lang'), ['ru']);
    assert.deepEqual((await hits(page)).map((hit) => hit.id), [kRussianOkafor]);
    assert.deepEqual(await chips(page), ['Language: Russian']);
    const hit = page.locator('#hits > li').first();
    assert.equal(await hit.locator('.snippet').getAttribute('lang'), 'ru');
    assert.equal(await hit.locator('.snippet').getAttribute('dir'), 'ltr');
    assert.equal(await hit.locator('.hit-heading').getAttribute('lang'), 'ru');
    assert.equal(await hit.locator('.meta .lang').textContent(), 'Russian');
    assert.equal(await hit.locator('.snippet mark').first().textContent(), 'Окафор');
    // The other languages stay listed to add, as outlets do.
    assert.ok((await lang_facet(page)).some((entry) => entry.value === 'en' && !entry.checked && entry.count > 1));
    await screenshot(page, 'languages-facet');
    assert_clean(problems);
    await context.close();
  });

  test('right-to-left articles read right to left, in the list and in the article view', async (app) => {
    const { page, context, problems } = await app.open();
    await load(page, '/?lang=ar');
    assert.deepEqual((await hits(page)).map((hit) => hit.id), [kArabic]);
    const snippet = page.locator('#hits > li .snippet').first();
    assert.equal(await snippet.getAttribute('dir'), 'rtl');
    assert.equal(await snippet.evaluate((node) => getComputedStyle(node).direction), 'rtl');
    const article = page.waitForResponse((response) => /\/api\/articles\/[^/]+$/.test(new URL(response.url()).pathname));
    await page.locator('.hit-title').first().click();
    await article;
    await page.waitForSelector('#article[aria-busy="false"]', { state: 'attached' });
    assert.equal(await page.locator('#article-text').getAttribute('lang'), 'ar');
    assert.equal(await page.locator('#article-text').evaluate((node) => getComputedStyle(node).direction), 'rtl');
    assert.equal(await page.locator('#article-title').getAttribute('dir'), 'rtl');
    await screenshot(page, 'languages-rtl');
    assert_clean(problems);
    await context.close();
  });

  test('the search box takes any script', async (app) => {
    const { page, context, problems } = await app.open();
    await page.waitForSelector('#results[aria-busy="false"]', { state: 'attached' });
    for (const [q, id] of [['罢工', 'https://hekou-ribao.example/news/malo-gang-bagong'], ['Окафор', kRussianOkafor],
      ['إضرابا', kArabic]]) {
      await searched(page, async () => {
        await page.locator('#q').fill(q);
        await page.locator('#q').press('Enter');
      });
      assert.equal(params(page).get('q'), q);
      assert.equal((await hits(page))[0].id, id, `the first hit for ${q}`);
      assert.ok((await page.locator('#hits > li').first().locator('.snippet mark').count()) > 0, `no mark for ${q}`);
    }
    assert_clean(problems);
    await context.close();
  });
});
