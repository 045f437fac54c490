// Turns a Tessera layout document into dockview's serialized form, so the
// docking library restores rows, columns, stacks and sizes exactly.
import { Orientation, type SerializedDockview, type GroupviewPanelState } from 'dockview-core';
import type { DetachedPanel, LayoutDocument, LayoutNode, Panel, PanelParams } from './types';

type Grid = SerializedDockview['grid']['root'];

const percent = (size?: string | null): number | undefined => {
  if (!size) return undefined;
  const n = Number.parseFloat(size);
  return Number.isFinite(n) && n > 0 ? n : undefined;
};

/** Splits `total` pixels among children by their percentages; unsized ones share the rest. */
function distribute(nodes: LayoutNode[], total: number): number[] {
  const given = nodes.map((n) => percent(n.size));
  const used = given.reduce<number>((s, p) => s + (p ?? 0), 0);
  const unsized = given.filter((p) => p === undefined).length;
  const each = unsized > 0 ? Math.max(0, 100 - used) / unsized : 0;
  const scale = unsized > 0 ? 1 : 100 / (used || 100);
  return given.map((p) => Math.round(((p ?? each) * scale * total) / 100));
}

const orientationOf = (type: 'row' | 'column'): Orientation => (type === 'row' ? Orientation.HORIZONTAL : Orientation.VERTICAL);

export function toDockview(doc: LayoutDocument, width: number, height: number): SerializedDockview {
  const panels: Record<string, GroupviewPanelState> = {};
  let groupSeq = 0;

  const addPanel = (p: Panel) => {
    const params: PanelParams = { widget: p.widget, state: p.state ?? {}, channel: p.channel ?? null };
    panels[p.id] = { id: p.id, contentComponent: 'widget', tabComponent: 'widget', title: p.title, params };
  };

  const leaf = (members: Panel[], active: number, size: number): Grid => {
    members.forEach(addPanel);
    const views = members.map((m) => m.id);
    return {
      type: 'leaf',
      size,
      data: { id: `group-${++groupSeq}`, views, activeView: views[Math.min(active, views.length - 1)] },
    };
  };

  // A container whose direction equals its parent's is flattened into it.
  const flatten = (nodes: LayoutNode[], dir: 'row' | 'column'): LayoutNode[] =>
    nodes.flatMap((n) => {
      if (n.type !== dir) return [n];
      const inner = flatten(n.content, dir);
      const outer = percent(n.size);
      if (outer === undefined) return inner.map((c) => ({ ...c, size: undefined }));
      const sizes = distribute(inner, outer * 100).map((s) => `${s / 100}%`);
      return inner.map((c, i) => ({ ...c, size: sizes[i] }));
    });

  // `along`: this node's extent along its parent's axis; `across`: the other one.
  const build = (node: LayoutNode, along: number, across: number): Grid => {
    switch (node.type) {
      case 'widget':
        return leaf([node], 0, along);
      case 'stack':
        return leaf(node.content.filter((c): c is Panel => c.type === 'widget'), node.active ?? 0, along);
      case 'row':
      case 'column': {
        const children = flatten(node.content, node.type);
        const sizes = distribute(children, across);
        return { type: 'branch', size: along, data: children.map((c, i) => build(c, sizes[i], along)) };
      }
    }
  };

  const root = doc.root;
  let orientation = Orientation.HORIZONTAL;
  let rootGrid: Grid;
  if (root.type === 'row' || root.type === 'column') {
    orientation = orientationOf(root.type);
    const [along, across] = orientation === Orientation.HORIZONTAL ? [height, width] : [width, height];
    rootGrid = build(root, along, across);
  } else {
    rootGrid = { type: 'branch', size: height, data: [build(root, width, height)] };
  }
  const floatingGroups = floatingGroupsOf(doc.floating ?? []).map((members) => {
    const [first] = members;
    members.forEach((d) => addPanel({ type: 'widget', ...d.panel }));
    const views = members.map((d) => d.panel.id);
    return {
      data: { id: `group-${++groupSeq}`, views, activeView: views[0] },
      position: { left: first.x, top: first.y, width: first.width, height: first.height },
    };
  });
  return { grid: { root: rootGrid, width, height, orientation }, panels, floatingGroups };
}

/** Floating panels at the same place and size float together, as the tabs of one group, in order. */
function floatingGroupsOf(floating: DetachedPanel[]): DetachedPanel[][] {
  const groups = new Map<string, DetachedPanel[]>();
  for (const d of floating) {
    const key = `${d.x},${d.y},${d.width},${d.height}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()];
}
