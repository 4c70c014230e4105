// Accessibility: axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules on the page shown now.

import { AxeBuilder } from '@axe-core/playwright';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Violations on `page`, one readable line (with the elements at fault) each. */
export async function axeProblems(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => {
      const why = (n.failureSummary ?? '').split('\n').slice(1, 2).join(' ').trim();
      return `${n.target.join(' ')}${why ? ` — ${why}` : ''}`;
    });
    const more = v.nodes.length > 5 ? `\n  …and ${v.nodes.length - 5} more` : '';
    return `${label} ${page.url()}: [${v.id}, ${v.impact}] ${v.help} (${v.helpUrl})\n  ${nodes.join('\n  ')}${more}`;
  });
}
