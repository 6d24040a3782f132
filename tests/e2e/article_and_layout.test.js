/**
 * @file The article view, safe rendering of hostile text, keyboard use, accessibility
 * landmarks and the narrow (390 px) layout, in a real browser against the real server.
 */

import assert from 'node:assert/strict';

import { browser_suite, screenshot } from './harness.js';
import { assert_clean, hits, load, params, searched } from './page_helpers.js';

const kScript = '<script>alert("clippings")</script>';
const kBold = '<b>bold</b>';

/** Opens the article behind a result title and waits for its text and similar articles. */
async function open_article(page, title) {
  const article = page.waitForResponse((response) => /\/api\/articles\/[^/]+$/.test(new URL(response.url()).pathname));
  const similar = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith('/similar'));
  await title.click();
  await Promise.all([article, similar]);
  await page.waitForSelector('#article[aria-busy="false"]', { state: 'attached' });
}

browser_suite('article view and layout', (test) => {
  test('a result opens the full article with similar articles, and closing returns to it', async (app) => {
    const { page, context, problems } = await app.open();
    await load(page, '/?q=brannock');
    const [first] = await hits(page);
    const expected = await app.api(`/api/articles/${encodeURIComponent(first.id)}?q=brannock`);
    await open_article(page, page.locator('.hit-title').first());
    const dialog = page.locator('#article-dialog');
    assert.equal(await dialog.isVisible(), true);
    assert.equal(params(page).get('article'), first.id);
    assert.equal(await page.locator('#article-title').textContent(), expected.title);
    assert.ok((await page.locator('#article-text mark').count()) > 0, 'the query words are not highlighted');
    assert.ok((await page.locator('#article-text p').count()) >= 1);
    assert.equal(await page.locator('#article-outlet').textContent(), expected.outlet);
    if (expected.url) assert.equal(await page.locator('#article-source a').getAttribute('href'), new URL(expected.url).href);
    const similar = await app.api(`/api/articles/${encodeURIComponent(first.id)}/similar?size=5`);
    assert.ok(similar.hits.length > 0, 'the test index should give similar articles');
    assert.deepEqual(await page.locator('#similar-list .similar-title').evaluateAll((buttons) => buttons.map((button) => button.dataset.id)),
      similar.hits.map((hit) => hit.id));
    await screenshot(page, 'article', { full_page: false });

    const next = similar.hits[0];
    await open_article(page, page.locator('#similar-list .similar-title').first());
    assert.equal(params(page).get('article'), next.id);
    assert.equal(await page.locator('#article-title').textContent(), next.title);

    await page.keyboard.press('Escape');
    await page.waitForSelector('#article-dialog', { state: 'hidden' });
    // The dialog's close event, which updates the URL, follows its hiding in a later task.
    await page.waitForURL((url) => !url.searchParams.has('article'));
    assert.equal(params(page).get('article'), null);
    assert.equal(params(page).get('q'), 'brannock');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.id), first.id, 'focus did not return to the result');

    await page.goBack();
    await page.waitForSelector('#article-dialog', { state: 'visible' });
    assert.equal(params(page).get('article'), next.id);
    await searched(page, () => page.reload());
    await page.waitForSelector('#article[aria-busy="false"]', { state: 'attached' });
    assert.equal(await page.locator('#article-title').textContent(), next.title);
    await page.getByRole('button', { name: 'Close article' }).click();
    await page.waitForSelector('#article-dialog', { state: 'hidden' });
    assert_clean(problems);
    await context.close();
  });

  test('copies of a story are one result, and its article names the other outlets and the first', async (app) => {
    // The test corpus holds one article and its re-hosted copy (01 and 05).
    const collapsed = await app.api('/api/search?q=ferry+evening+sailings');
    const all = await app.api('/api/search?q=ferry+evening+sailings&collapse=false');
    assert.equal(collapsed.total, all.total - 1, 'the copy should fold into its story');
    const story = collapsed.hits.find((hit) => hit.copies);
    assert.ok(story, 'one hit should carry its copies');
    assert.equal(story.copies.count, 2);
    const { page, context, problems } = await app.open();
    await load(page, '/?q=ferry+evening+sailings');
    assert.equal((await hits(page)).length, collapsed.hits.length);
    const meta = page.locator(`#hits > li:has(.hit-title[data-id="${story.id}"]) .copies`);
    assert.match(await meta.textContent(), /^2 copies/);

    const copies = await app.api(`/api/articles/${encodeURIComponent(story.id)}/copies`);
    const [other] = copies.items;
    const loaded = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith('/copies'));
    await open_article(page, page.locator(`.hit-title[data-id="${story.id}"]`));
    await loaded;
    const line = page.locator('#article-copies');
    await line.locator('.copy-link').waitFor();
    const text = await line.textContent();
    assert.ok(text.startsWith(`Also published by ${other.outlet || other.id}`), text);
    const first = copies.first;
    assert.ok(first.id === story.id ? text.includes('this one was first, on') : text.includes(`first by ${first.outlet || first.id} on`), text);
    await screenshot(page, 'article-copies', { full_page: false });

    await open_article(page, line.locator('.copy-link').first());
    assert.equal(params(page).get('article'), other.id);
    assert.ok((await page.locator('#article-copies').textContent()).includes(story.outlet || story.id));
    assert_clean(problems);
    await context.close();
  });

  test('an article containing a script tag shows it as text and runs nothing', async (app) => {
    const found = await app.api('/api/search?q=defaced');
    assert.equal(found.total, 1, 'the samples should hold one defaced-website article');
    const [hostile] = found.hits;
    const { page, context, problems } = await app.open();
    await load(page, '/?q=defaced');
    assert.equal(await page.locator('#hits script, #hits iframe, #hits img').count(), 0);
    await open_article(page, page.locator(`.hit-title[data-id="${hostile.id}"]`));
    const text = await page.locator('#article-text').textContent();
    assert.ok(text.includes(kScript), 'the script tag is not shown as text');
    assert.ok(text.includes(kBold), 'the b tag is not shown as text');
    assert.equal(await page.locator('#article-dialog script, #article-dialog b').count(), 0);
    assert.equal(await page.locator('#article-text *:not(p):not(mark)').count(), 0, 'only paragraphs and highlights may be markup');
    assert.equal(await page.evaluate(() => document.scripts.length), 1, 'only the page\'s own module script may exist');
    await screenshot(page, 'article-script-as-text', { full_page: false });
    assert_clean(problems);
    await context.close();
  });

  test('the keyboard reaches everything: / focuses the search box, Escape closes the article', async (app) => {
    const { page, context, problems } = await app.open();
    await load(page, '/?q=brannock');
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
    await page.keyboard.press('End');
    await page.keyboard.type('/');
    assert.equal(await page.locator('#q').inputValue(), 'brannock/', '/ typed into the box is text');
    await page.keyboard.press('Backspace');

    await page.locator('.hit-title').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#article[aria-busy="false"]', { state: 'attached' });
    assert.equal(await page.locator('#article-dialog').isVisible(), true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#article-dialog', { state: 'hidden' });

    await page.locator('#histogram .bar[tabindex="0"]').focus();
    await page.keyboard.press('End');
    const last = page.locator('#histogram .bar').last();
    assert.equal(await last.evaluate((bar) => bar === document.activeElement), true);
    await searched(page, () => page.keyboard.press('Enter'));
    assert.equal(params(page).get('from'), await last.getAttribute('data-from'));

    const unlabelled = await page.locator('input, select, button').evaluateAll((controls) => controls
      .filter((control) => control.offsetParent !== null || control.closest('dialog'))
      .filter((control) => !(control.labels?.length || control.getAttribute('aria-label') || control.textContent.trim()))
      .map((control) => control.outerHTML));
    assert.deepEqual(unlabelled, []);
    for (const role of ['banner', 'main', 'complementary', 'search']) {
      assert.equal(await page.getByRole(role).count(), 1, `one ${role} landmark`);
    }
    assert.equal(await page.getByRole('navigation', { name: 'Result pages' }).count(), 1);
    assert_clean(problems);
    await context.close();
  });

  test('at 390 pixels the page is one column with collapsible filters and no sideways scroll', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank', viewport: { width: 390, height: 844 } });
    await load(page, '/?q=brannock');
    const toggle = page.getByRole('button', { name: /^Filters/ });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#filters-body').isVisible(), false);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    const results = await page.locator('#main').boundingBox();
    const filters = await page.locator('#filters').boundingBox();
    assert.ok(results.y > filters.y, 'results sit below the filters in one column');
    await screenshot(page, 'mobile', { full_page: false });

    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.locator('#filters-body').isVisible(), true);
    assert.equal(await page.locator('#histogram svg').isVisible(), true);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    await screenshot(page, 'mobile-filters', { full_page: false });
    await toggle.click();
    assert.equal(await page.locator('#filters-body').isVisible(), false);

    await open_article(page, page.locator('.hit-title').first());
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390);
    await screenshot(page, 'mobile-article', { full_page: false });
    assert_clean(problems);
    await context.close();
  });

  test('the dark colour scheme renders the results', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank', color_scheme: 'dark' });
    await load(page, '/?q=brannock');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [red, green, blue] = background.match(/\d+/g).map(Number);
    assert.ok(red + green + blue < 150, `the dark background is ${background}`);
    await screenshot(page, 'dark');
    assert_clean(problems);
    await context.close();
  });

  test('the export links follow the current search', async (app) => {
    const { page, context, problems } = await app.open();
    await load(page, '/?q=brannock&sort=newest&page=2');
    const csv = new URL(await page.locator('#export-csv').getAttribute('href'), page.url());
    const jsonl = new URL(await page.locator('#export-jsonl').getAttribute('href'), page.url());
    const atom = new URL(await page.locator('#export-atom').getAttribute('href'), page.url());
    assert.equal(csv.pathname, '/api/search.csv');
    assert.equal(jsonl.pathname, '/api/search.jsonl');
    assert.equal(atom.pathname, '/api/search.atom');
    for (const link of [csv, jsonl, atom]) {
      assert.equal(link.searchParams.get('q'), 'brannock');
      assert.equal(link.searchParams.get('sort'), 'newest');
      assert.equal(link.searchParams.get('page'), null);
    }
    const download = await fetch(`${app.base_url}${csv.pathname}${csv.search}`);
    assert.equal(download.status, 200);
    assert.match(download.headers.get('content-type'), /text\/csv/);
    // The link exports the whole result, not the page shown.
    const { total } = await app.api('/api/search?q=brannock');
    assert.equal(download.headers.get('x-export-rows'), String(total));
    assert.equal(download.headers.get('x-export-truncated'), 'false');
    assert.equal(await page.locator('#export-note').textContent(), '');
    const feed = await fetch(`${app.base_url}${atom.pathname}${atom.search}`);
    assert.equal(feed.status, 200);
    assert.match(await feed.text(), /<feed[\s>]/);
    assert_clean(problems);
    await context.close();
  });

  test('the page says when a result is longer than an export holds', async (app) => {
    const { page, context, problems } = await app.open({ url: 'about:blank' });
    // A server whose exports stop after 3 rows.
    await page.route('**/api/stats', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), max_export_rows: 3 } });
    });
    await load(page, '/?q=brannock');
    const { total } = await app.api('/api/search?q=brannock');
    assert.ok(total > 3, `brannock has ${total} results`);
    await page.locator('#export-note').filter({ hasText: 'first 3 of' }).waitFor();
    assert.equal(await page.locator('#export-note').textContent(),
      `The CSV and JSON Lines files hold the first 3 of ${total} results, in the order shown.`);
    assert_clean(problems);
    await context.close();
  });
});
