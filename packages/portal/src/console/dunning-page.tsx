import { Page } from '../ui/page.js';

export function DunningPage() {
  return <Page title="DunningPage">Coming with this screen's work.</Page>;
}
