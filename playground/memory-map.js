// The playground's memory map: the bytes a traced call touched (memoryMap of the library's
// trace-render.ts, one phase at a time) as rows of 16 cells; every cell knows its address, and the
// cells of one value share a colour. Hovering a cell names its value; a step's bytes can be
// highlighted. Plain DOM, no inline styles (the page's CSP allows none).

const MAX_ROWS = 4096;

/** `0x` and `n` in hex, padded to `width` digits. */
export function hex(n, width = 0) {
  return "0x" + n.toString(16).padStart(width, "0");
}

/**
 * Draws `map` (address -> TouchedByte) into `container`; returns the cells by address.
 * Addresses between touched rows are elided (one "…" line per gap).
 */
export function drawMemory(container, map) {
  container.replaceChildren();
  const cells = new Map();
  if (map.size === 0) {
    container.textContent = "(no bytes)";
    return cells;
  }
  const rows = [...new Set([...map.keys()].map((a) => a - (a % 16)))].sort((a, b) => a - b);
  let previous = -1;
  const frag = document.createDocumentFragment();
  for (const row of rows.slice(0, MAX_ROWS)) {
    if (previous >= 0 && row !== previous + 16) {
      const gap = document.createElement("div");
      gap.className = "row gap";
      gap.textContent = "…";
      frag.append(gap);
    }
    previous = row;
    const line = document.createElement("div");
    line.className = "row";
    const addr = document.createElement("span");
    addr.className = "addr";
    addr.textContent = hex(row, 8);
    line.append(addr);
    for (let a = row; a < row + 16; a++) {
      const t = map.get(a);
      const cell = document.createElement("span");
      cell.className = `b${a % 8 === 7 ? " sep" : ""}${t === undefined ? " none" : ` c${t.seq % 6}`}`;
      cell.textContent = t === undefined ? ".." : t.byte.toString(16).padStart(2, "0");
      cell.dataset.addr = String(a);
      if (t !== undefined) cell.dataset.seq = String(t.seq);
      line.append(cell);
      cells.set(a, cell);
    }
    frag.append(line);
  }
  if (rows.length > MAX_ROWS) {
    const more = document.createElement("div");
    more.className = "row gap";
    more.textContent = `… ${rows.length - MAX_ROWS} more rows`;
    frag.append(more);
  }
  container.append(frag);
  return cells;
}

/** The text shown for a hovered byte. */
export function describeByte(t, address) {
  if (t === undefined) return `${hex(address)}: not touched by this phase`;
  const value = t.value === null ? "" : ` = ${t.value}`;
  return `${hex(address)}: byte ${hex(t.byte, 2)} (${t.byte})\n${t.path || "(call)"}: ${t.what}${value}   [step #${t.seq}]`;
}

/** Marks `className` on the cells of addresses [start, start+length), clearing it elsewhere; returns how many. */
export function markRange(cells, className, start, length) {
  for (const c of cells.values()) c.classList.remove(className);
  let n = 0;
  for (let a = start; a < start + length; a++) {
    const c = cells.get(a);
    if (c !== undefined) {
      c.classList.add(className);
      n++;
    }
  }
  return n;
}

/** Marks `className` on every cell of step `seq` (the bytes of one value), clearing it elsewhere. */
export function markSeq(cells, className, seq) {
  for (const c of cells.values()) c.classList.toggle(className, c.dataset.seq === String(seq));
}
