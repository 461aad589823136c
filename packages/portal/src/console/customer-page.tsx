import { Page } from '../ui/page.js';

export function CustomerPage() {
  return <Page title="CustomerPage">Coming with this screen's work.</Page>;
}
