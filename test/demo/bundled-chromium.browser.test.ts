import { launchBundledChromium } from '../support/browser';

// CI has Debian's chromium, so the browser suites use it there; this keeps the fallback that a
// machine without a browser relies on (`npm install && npm test`) exercised on every run.
test('the Chromium that npm install brings starts and renders a page', async () => {
  const browser = await launchBundledChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<main><h1>Order Gate</h1><p id="sum"></p></main><script>sum.textContent = 2 + 3</script>');
    expect(await page.textContent('h1')).toBe('Order Gate');
    expect(await page.textContent('#sum')).toBe('5');
  } finally {
    await browser.close();
  }
}, 120_000);
