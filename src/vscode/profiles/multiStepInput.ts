// A multi-step quick input with Back, after VS Code's own pattern (vscode-extension-samples,
// quickinput-sample/src/multiStepInput.ts): each step is a function that shows one input and returns the next
// step; Back re-runs the previous step with what was typed kept; the inputs survive a click elsewhere
// (ignoreFocusOut) so one stray click loses nothing; Escape ends the whole flow.
import * as vscode from 'vscode';

export type Step<S> = (input: MultiStepInput, state: S) => Promise<Step<S> | void>;

class BackTo extends Error {}
class Cancelled extends Error {}

export interface PickOptions<T extends vscode.QuickPickItem> {
  title: string;
  step: number;
  totalSteps: number;
  items: readonly T[];
  active?: T;
  placeholder?: string;
}

export interface InputOptions {
  title: string;
  step: number;
  totalSteps: number;
  value: string;
  prompt: string;
  placeholder?: string;
  password?: boolean;
  /** An error message for the value, or undefined when it is fine (shown as the user types). */
  validate?: (value: string) => string | undefined;
}

export class MultiStepInput {
  private current?: vscode.QuickInput;
  private readonly steps: Step<unknown>[] = [];

  /** Runs the flow from `start`; resolves false when the user cancelled it. */
  static async run<S>(start: Step<S>, state: S): Promise<boolean> {
    const input = new MultiStepInput();
    try {
      await input.stepThrough(start as Step<unknown>, state);
      return true;
    } catch (err) {
      if (err instanceof Cancelled) return false;
      throw err;
    } finally {
      input.current?.dispose();
    }
  }

  private async stepThrough(start: Step<unknown>, state: unknown): Promise<void> {
    let step: Step<unknown> | void = start;
    while (step) {
      this.steps.push(step);
      this.current?.hide();
      try {
        step = await step(this, state);
      } catch (err) {
        if (!(err instanceof BackTo)) throw err;
        this.steps.pop();
        step = this.steps.pop();
      }
    }
  }

  async pick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    return this.show<T, vscode.QuickPick<T>>(vscode.window.createQuickPick<T>(), options, (pick, resolve) => {
      pick.items = options.items;
      if (options.active) pick.activeItems = [options.active];
      pick.placeholder = options.placeholder;
      return [pick.onDidAccept(() => pick.selectedItems[0] && resolve(pick.selectedItems[0]))];
    });
  }

  async input(options: InputOptions): Promise<string> {
    return this.show<string, vscode.InputBox>(vscode.window.createInputBox(), options, (box, resolve) => {
      box.value = options.value;
      box.prompt = options.prompt;
      box.placeholder = options.placeholder;
      box.password = options.password ?? false;
      const check = () => (box.validationMessage = options.validate?.(box.value));
      check();
      return [
        box.onDidChangeValue(check),
        box.onDidAccept(() => {
          if (!options.validate?.(box.value)) resolve(box.value);
        }),
      ];
    });
  }

  private show<R, Q extends vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox>(
    quickInput: Q,
    options: { title: string; step: number; totalSteps: number },
    wire: (input: Q, resolve: (value: R) => void) => vscode.Disposable[],
  ): Promise<R> {
    const disposables: vscode.Disposable[] = [];
    return new Promise<R>((resolve, reject) => {
      quickInput.title = options.title;
      quickInput.step = options.step;
      quickInput.totalSteps = options.totalSteps;
      quickInput.ignoreFocusOut = true;
      quickInput.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
      disposables.push(
        ...wire(quickInput, resolve),
        quickInput.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && reject(new BackTo())),
        quickInput.onDidHide(() => reject(new Cancelled())),
      );
      this.current?.dispose();
      this.current = quickInput;
      quickInput.show();
    }).finally(() => disposables.forEach((d) => d.dispose()));
  }
}
