// The workspace as a Tessera layout document: the inverse of layout-to-dockview.
import { Orientation, type SerializedDockview } from 'dockview-core';
import type { DetachedPanel, LayoutDocument, LayoutNode, Panel, PanelParams } from './types';

type Grid = SerializedDockview['grid']['root'];
interface Leaf {
  views: string[];
  activeView?: string;
}

const pct = (part: number, whole: number) => `${Math.round((part / (whole || 1)) * 1000) / 10}%`;

export function fromDockview(state: SerializedDockview, title: string): LayoutDocument {
  const panel = (id: string): Panel | null => {
    const p = state.panels[id];
    if (!p || p.contentComponent !== 'widget') return null;
    const params = (p.params ?? {}) as unknown as PanelParams;
    return { type: 'widget', id, widget: params.widget, title: p.title ?? params.widget, state: params.state ?? {}, channel: params.channel ?? null };
  };

  // A branch's children lie along its orientation; they alternate with depth.
  const build = (node: Grid, orientation: Orientation): LayoutNode | null => {
    if (node.type === 'leaf') {
      const leaf = node.data as Leaf;
      const panels = leaf.views.map(panel).filter((p): p is Panel => p !== null);
      if (panels.length === 0) return null;
      const active = Math.max(0, panels.findIndex((p) => p.id === leaf.activeView));
      return { type: 'stack', active, content: panels };
    }
    const children = node.data as Grid[];
    const next = orientation === Orientation.HORIZONTAL ? Orientation.VERTICAL : Orientation.HORIZONTAL;
    const built = children
      .map((c) => ({ node: build(c, next), size: c.size ?? 0 }))
      .filter((c): c is { node: LayoutNode; size: number } => c.node !== null);
    if (built.length === 0) return null;
    if (built.length === 1) return built[0].node;
    const total = built.reduce((s, c) => s + c.size, 0);
    // Rounding: the last child takes what is left, so sizes add up to 100%.
    let used = 0;
    const content = built.map((c, i) => {
      const share = i === built.length - 1 ? Math.round((100 - used) * 10) / 10 : Math.round((c.size / (total || 1)) * 1000) / 10;
      used += share;
      return { ...c.node, size: i === built.length - 1 ? `${share}%` : pct(c.size, total) } as LayoutNode;
    });
    return { type: orientation === Orientation.HORIZONTAL ? 'row' : 'column', content };
  };

  const root = build(state.grid.root, state.grid.orientation) ?? { type: 'row', content: [] };
  const tree: LayoutNode = root.type === 'row' || root.type === 'column' ? root : { type: 'row', content: [root] };
  // Floating groups: each of their panels with the group's place and size
  // in the workspace (the active tab first, so it is the one shown again).
  const floating: DetachedPanel[] = [];
  for (const g of state.floatingGroups ?? []) {
    const leaves = g.data ? [g.data as Leaf] : leavesOf(g.grid?.root);
    const box = g.position as Record<string, number>;
    const x = Math.round('left' in box ? box.left : state.grid.width - box.right - box.width);
    const y = Math.round('top' in box ? box.top : state.grid.height - box.bottom - box.height);
    const rect = { x, y, width: Math.round(box.width), height: Math.round(box.height) };
    for (const leaf of leaves) {
      const ids = [...leaf.views].sort((a, b) => Number(b === leaf.activeView) - Number(a === leaf.activeView));
      for (const id of ids) {
        const p = panel(id);
        if (!p) continue;
        const { type: _type, ...detached } = p;
        floating.push({ panel: detached, ...rect });
      }
    }
  }
  // Stacks directly holding one widget keep their stack: the docking model always has one.
  return { schema: 1, title, root: tree, floating, popouts: [] };
}

/** The groups of a floating window's own grid, in order. */
function leavesOf(node: Grid | undefined): Leaf[] {
  if (!node) return [];
  return node.type === 'leaf' ? [node.data as Leaf] : (node.data as Grid[]).flatMap(leavesOf);
}
