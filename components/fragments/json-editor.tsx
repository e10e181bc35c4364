"use client";

import { clsx } from "clsx";
import { useRef, type KeyboardEvent } from "react";
import { controlClasses } from "@/components/ui/input";

export interface JsonEditorProblem {
  message: string;
  /** 1-based line to mark in the gutter (syntax errors). */
  line?: number;
  column?: number;
}

/**
 * A textarea for JSON with line numbers beside it. The problem (syntax error with its position, or a value of
 * the wrong shape) is shown under it and read with it (aria-describedby); Tab inserts two spaces.
 */
export function JsonEditor({
  id,
  label,
  value,
  onChange,
  problem,
  minRows = 6,
  maxRows = 20,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  problem: JsonEditorProblem | null;
  minRows?: number;
  maxRows?: number;
}) {
  const gutterRef = useRef<HTMLDivElement>(null);
  const lines = value.split("\n").length;
  // Grows with the text up to maxRows, then scrolls; the gutter has the same height and scrolls along.
  const rows = Math.min(Math.max(lines, minRows), maxRows);
  const height = { height: `${rows * 1.5 + 1}rem` };
  const lineCount = Math.max(lines, rows);
  const errorId = `${id}-error`;

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Tab indents; Escape still leaves the field for keyboard users who need to move on (WCAG 2.1.2).
    if (event.key !== "Tab" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const el = event.currentTarget;
    const { selectionStart: start, selectionEnd: end } = el;
    const next = `${value.slice(0, start)}  ${value.slice(end)}`;
    onChange(next);
    requestAnimationFrame(() => el.setSelectionRange(start + 2, start + 2));
  };

  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      <div
        className={clsx(
          controlClasses,
          "flex overflow-hidden p-0 font-mono text-sm leading-6",
          problem && "border-red-600 dark:border-red-400",
        )}
      >
        <div
          ref={gutterRef}
          aria-hidden="true"
          className="shrink-0 overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right text-slate-500 select-none dark:border-slate-700 dark:bg-slate-800/60 dark:text-slate-400"
          style={height}
        >
          {Array.from({ length: lineCount }, (_, i) => (
            <div
              key={i}
              className={clsx(
                "px-2 tabular-nums",
                problem?.line === i + 1 &&
                  "bg-red-100 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200",
              )}
            >
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          id={id}
          value={value}
          rows={rows}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          wrap="off"
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          onScroll={(e) => {
            if (gutterRef.current) gutterRef.current.scrollTop = e.currentTarget.scrollTop;
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          className="min-w-0 flex-1 resize-none bg-transparent px-3 py-2 whitespace-pre focus-visible:outline-offset-[-2px]"
          style={height}
        />
      </div>
      {problem && (
        <p id={errorId} role="alert" className="text-sm font-medium text-red-700 dark:text-red-400">
          {problem.line !== undefined && `Line ${problem.line}, column ${problem.column ?? 1}: `}
          {problem.message}
        </p>
      )}
    </div>
  );
}
