import { Page } from '../ui/page.js';

export function UsagePage() {
  return <Page title="UsagePage">Coming with this screen's work.</Page>;
}
