/** A confirmation in a modal <dialog> (testable, unlike window.confirm): resolves true when confirmed. */
import { h } from './dom';

export function confirmDialog(options: { title: string; text: string; confirm: string; danger?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    const cancelButton = h('button', { type: 'button', class: 'secondary', 'data-dialog': 'cancel' }, 'Cancel');
    const confirmButton = h('button', { type: 'button', class: options.danger ? 'danger' : '', 'data-dialog': 'confirm' }, options.confirm);
    const dialog = h('dialog', { class: 'confirm', 'aria-label': options.title }, h('h2', {}, options.title), h('p', {}, options.text), h('div', { class: 'dialog-buttons' }, cancelButton, confirmButton));
    const close = (answer: boolean): void => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancelButton.addEventListener('click', () => close(false));
    confirmButton.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancelButton.focus();
  });
}
