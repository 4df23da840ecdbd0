// Exact decimal arithmetic on the API's decimal strings, with BigInt: money is never a float.
// A value is { units: BigInt, scale: Number }, meaning units / 10^scale.

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function isDecimal(text) {
  return DECIMAL.test(String(text).trim());
}

export function parse(text) {
  const s = String(text).trim();
  if (!DECIMAL.test(s)) throw new Error(`not a decimal: ${text}`);
  const negative = s.startsWith("-");
  const [whole, frac = ""] = (negative ? s.slice(1) : s).split(".");
  const units = BigInt(whole + frac) * (negative ? -1n : 1n);
  return { units, scale: frac.length };
}

function rescale(v, scale) {
  return { units: v.units * 10n ** BigInt(scale - v.scale), scale };
}

export function add(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale).units + rescale(b, scale).units, scale };
}

export function mul(a, b) {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** Rounds half away from zero to `scale` decimals (the API's money rule: cents). */
export function round(v, scale) {
  if (v.scale <= scale) return rescale(v, scale);
  const div = 10n ** BigInt(v.scale - scale);
  const negative = v.units < 0n;
  const abs = negative ? -v.units : v.units;
  let q = abs / div;
  if ((abs % div) * 2n >= div) q += 1n;
  return { units: negative ? -q : q, scale };
}

export function toPlain(v) {
  const negative = v.units < 0n;
  let digits = (negative ? -v.units : v.units).toString().padStart(v.scale + 1, "0");
  const whole = digits.slice(0, digits.length - v.scale);
  const frac = digits.slice(digits.length - v.scale);
  return (negative ? "-" : "") + whole + (v.scale ? "." + frac : "");
}

/** A decimal string in the locale's grouping and decimal mark, digits untouched. */
export function formatPlain(text, locale, minScale = 0) {
  let v = parse(text);
  if (v.scale < minScale) v = rescale(v, minScale);
  const plain = toPlain(v);
  const negative = plain.startsWith("-");
  const [whole, frac] = (negative ? plain.slice(1) : plain).split(".");
  const fi = locale === "fi" || locale === "sv";
  const group = fi ? "\u00a0" : ",";
  const mark = fi ? "," : ".";
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return (negative ? "\u2212" : "") + grouped + (frac !== undefined ? mark + frac : "");
}

/** Reads a number typed by a user in either locale ("1 234,50" or "1234.50"). */
export function fromInput(text) {
  const s = String(text).trim().replace(/[\s\u00a0]/g, "").replace(",", ".");
  return isDecimal(s) ? s : null;
}
