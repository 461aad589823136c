import { Page } from '../ui/page.js';

export function SuspensePage() {
  return <Page title="SuspensePage">Coming with this screen's work.</Page>;
}
