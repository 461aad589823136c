import { Page } from '../ui/page.js';

export function ChargePage() {
  return <Page title="ChargePage">Coming with this screen's work.</Page>;
}
