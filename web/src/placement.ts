// Where a new panel goes: pure functions of sizes and pointer positions, so
// they are unit-tested without a window.

export type Direction = 'left' | 'right' | 'above' | 'below' | 'within';

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A column narrower than this, or a row shorter, is too small to split again. */
export const MIN_SPLIT_WIDTH = 320;
export const MIN_SPLIT_HEIGHT = 220;

/**
 * Where Add puts a panel: split the largest group along its longer side
 * while both halves stay readable; after that, a tab in the focused group
 * (or the largest), so ten clicks never give ten slivers.
 */
export function placeNew<G>(groups: { group: G; width: number; height: number }[], focused: G | undefined): { group: G; direction: Direction } | undefined {
  if (groups.length === 0) return undefined;
  const largest = groups.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const wide = largest.width >= largest.height * 1.2;
  if (wide && largest.width / 2 >= MIN_SPLIT_WIDTH) return { group: largest.group, direction: 'right' };
  if (!wide && largest.height / 2 >= MIN_SPLIT_HEIGHT) return { group: largest.group, direction: 'below' };
  if (largest.width / 2 >= MIN_SPLIT_WIDTH) return { group: largest.group, direction: 'right' };
  return { group: focused ?? largest.group, direction: 'within' };
}

/**
 * The drop zone under the pointer in a group: its tab strip or centre makes
 * a tab; within a fifth of an edge of the content, a split on that side.
 */
export function dropZone(group: Box, headerHeight: number, x: number, y: number): Direction {
  if (y < group.top + headerHeight) return 'within';
  // Read field by field: a DOMRect's fields are getters, which spreading drops.
  const content = { left: group.left, width: group.width, top: group.top + headerHeight, height: group.height - headerHeight };
  const fx = (x - content.left) / content.width;
  const fy = (y - content.top) / content.height;
  const edges: [number, Direction][] = [
    [fx, 'left'],
    [1 - fx, 'right'],
    [fy, 'above'],
    [1 - fy, 'below'],
  ];
  const [distance, side] = edges.reduce((a, b) => (b[0] < a[0] ? b : a));
  return distance < 0.2 ? side : 'within';
}

/** The part of the group a drop in `zone` will take, for the preview. */
export function previewBox(group: Box, headerHeight: number, zone: Direction): Box {
  const { left, top, width, height } = group;
  switch (zone) {
    case 'left':
      return { left, top, width: width / 2, height };
    case 'right':
      return { left: left + width / 2, top, width: width / 2, height };
    case 'above':
      return { left, top, width, height: height / 2 };
    case 'below':
      return { left, top: top + height / 2, width, height: height / 2 };
    case 'within':
      return { left, top: top + headerHeight, width, height: height - headerHeight };
  }
}
