// Shared by the browser suites that use the widget on a page.
import type { Frame, FrameLocator, Locator, Page } from "playwright-core";

export interface OpenedWidget {
  chat: FrameLocator;
  box: Locator;
  frame: () => Frame;
}

/** Clicks the page's launcher and waits until the chat app can send (before that, Enter was a new line). */
export async function openLauncher(page: Page): Promise<OpenedWidget> {
  await page.getByRole("button", { name: "Open chat" }).click();
  const chat = page.frameLocator('iframe[title="Chat"]');
  const box = chat.getByRole("textbox", { name: "Message" });
  await box.waitFor();
  const frame = () => page.frames().find((f) => f.url().includes("/widget/"))!;
  await frame().waitForFunction(() => !(document.getElementById("text") as HTMLTextAreaElement).disabled);
  return { chat, box, frame };
}
