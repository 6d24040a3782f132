/**
 * @file axe-core, from node_modules (pinned in package-lock.json), run inside the page. Its
 * source is evaluated through the browser's debugging protocol, which the page's
 * Content-Security-Policy does not govern, so nothing is added to the page or fetched.
 */

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const kHere = path.dirname(fileURLToPath(import.meta.url));
let axe_source = null;

function source() {
  if (axe_source === null) {
    try {
      axe_source = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    } catch (error) {
      throw new Error(`axe-core is not installed in ${kHere}/node_modules (${error.code ?? error.message}). `
        + `Install it with: npm ci --prefix ${kHere}`);
    }
  }
  return axe_source;
}

/**
 * The axe violations of the page as it is now: WCAG 2.x A and AA and axe's best practices,
 * plus the check that a control's name contains its visible text (WCAG 2.5.3, off by default).
 * @returns {Promise<Array<{id: string, impact: string, help: string, nodes: string[]}>>}
 */
export async function axe_violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(source());
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      rules: { 'label-content-name-mismatch': { enabled: true } },
      resultTypes: ['violations'],
    });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary}`),
    }));
  });
}
