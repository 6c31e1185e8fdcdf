// DOM and formatting helpers. Everything that comes from an analyzed text or page
// reaches the document through `textContent` (or an attribute value set with
// `setAttribute`, for `title`/`aria-label`), never as markup.

const SVG = "http://www.w3.org/2000/svg";

/**
 * `h("td", { class: "num" }, "12")`: an element with attributes and children; string
 * children become text nodes. Attributes whose value is null/false are left out.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  return fill(el, attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  return fill(el, attrs, children);
}

function fill(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (/^on/i.test(name) || name === "style" || name === "href" || name === "src") {
      // Handlers are attached with addEventListener, styles through CSS classes, and
      // nothing from an analyzed page ever becomes a link or a resource.
      throw new Error(`h(): attribute ${name} is not allowed`);
    }
    el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else el.append(document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const decimal2 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

export const fmt = {
  int: (n) => integer.format(n),
  dec: (n) => decimal.format(n),
  dec2: (n) => decimal2.format(n),
  /** 1536 → "1.5 KiB". */
  bytes(n) {
    if (n === null || n === undefined) return "—";
    const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    let v = n;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i += 1;
    }
    return i === 0 ? `${integer.format(v)} ${v === 1 ? "byte" : "bytes"}` : `${decimal.format(v)} ${units[i]}`;
  },
  /** 200.4 → "3 min 20 s". */
  duration(seconds) {
    const total = Math.round(seconds);
    if (total < 60) return `${total} s`;
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const sec = total % 60;
    if (h > 0) return `${h} h ${m} min`;
    return sec ? `${m} min ${sec} s` : `${m} min`;
  },
  percent: (x) => `${decimal.format(x * 100)} %`,
};
