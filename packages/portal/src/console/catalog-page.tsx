import { Page } from '../ui/page.js';

export function CatalogPage() {
  return <Page title="CatalogPage">Coming with this screen's work.</Page>;
}
