/**
 * Whether a key press belongs to what the operator is typing: in a text field, a text area, a select, or
 * anything editable. Single-key shortcuts (`/`, `?`, `g r`, `]`) never fire there.
 */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Partial<Element>).closest !== "function") return false;
  const el = target as HTMLElement;
  if (el.isContentEditable || el.closest('[contenteditable=""], [contenteditable="true"]')) return true;
  if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  if (el.tagName !== "INPUT") return false;
  // Buttons, checkboxes and the like take no text: a shortcut pressed there is meant as one.
  const type = (el as HTMLInputElement).type;
  return !["button", "checkbox", "radio", "submit", "reset", "range", "color", "file", "image"].includes(
    type,
  );
}
