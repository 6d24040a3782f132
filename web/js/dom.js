/**
 * @file Small DOM helpers: element creation and safe rendering of server highlights.
 * Server strings never reach innerHTML: highlighted fields are parsed so that only <mark>
 * becomes markup and everything else is text.
 */

/**
 * Creates an element with attributes and children (strings become text nodes).
 * @param {string} tag
 * @param {Object<string, string|boolean|null|undefined>} [attrs] `class`, `text`, attributes
 * @param {...(Node|string|null|undefined)} children
 * @returns {HTMLElement}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child);
  }
  return node;
}

const kEntities = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&apos;': "'" };
const kEntityPattern = /&(?:amp|lt|gt|quot|apos|#39|#x27);/g;

/** Decodes the five entities the server's escaping produces; anything else stays literal. */
export function decode_entities(text) {
  return text.replace(kEntityPattern, (entity) => kEntities[entity]);
}

/**
 * Parses an escaped server string with <mark> highlights into a DocumentFragment.
 * Only the exact tokens "<mark>" and "</mark>" are markup; a stray token is dropped.
 * @param {string} html
 * @returns {DocumentFragment}
 */
export function highlighted(html) {
  const fragment = document.createDocumentFragment();
  let mark = null;
  for (const part of String(html ?? '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') {
      if (!mark) mark = document.createElement('mark');
    } else if (part === '</mark>') {
      if (mark) fragment.append(mark);
      mark = null;
    } else if (part) {
      (mark ?? fragment).append(document.createTextNode(decode_entities(part)));
    }
  }
  if (mark) fragment.append(mark);
  return fragment;
}

/** Replaces an element's content with the given nodes. */
export function replace_children(parent, ...children) {
  parent.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
}

/** An http(s) URL, or null for anything a link must not point to (javascript:, data:, ...). */
export function safe_url(url) {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return null;
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

/** The host of a URL without "www.", for link text. */
export function host_of(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

const kDateFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC',
});

/** "2022-11-25" as a readable date; "" stays "". */
export function format_date(iso) {
  if (!iso) return '';
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : kDateFormat.format(date);
}

/** A <time> element for an article date, or "Undated". */
export function date_element(iso) {
  if (!iso) return el('span', { class: 'undated-label', text: 'Undated' });
  return el('time', { datetime: iso, text: format_date(iso) });
}

const kNumberFormat = new Intl.NumberFormat();

/** A count with thousands separators. */
export function format_count(value) {
  return kNumberFormat.format(value);
}

/** Input types that take no typed text: a key pressed on them is no character of any field. */
const kNonTextInputs = new Set(['button', 'checkbox', 'color', 'file', 'hidden', 'image', 'radio', 'range', 'reset', 'submit']);

/**
 * True when a key press goes into text the user is typing: a text input, a textarea or
 * editable content. A focused checkbox, button or link is no text field: it keeps the focus
 * after a click, and a shortcut pressed there must still work.
 */
export function is_typing_target(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA') return true;
  return target.tagName === 'INPUT' && !kNonTextInputs.has(target.type);
}
