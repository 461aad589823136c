import { Page } from '../ui/page.js';

export function SearchPage() {
  return <Page title="SearchPage">Coming with this screen's work.</Page>;
}
