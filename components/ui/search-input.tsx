import { Search } from "lucide-react";
import type { ComponentProps } from "react";
import { Input } from "./input";

/** A search box: a type="search" input with the magnifier drawn inside it. Labelled by its caller. */
export function SearchInput({ className, ...props }: Omit<ComponentProps<"input">, "type">) {
  return (
    <div className="relative">
      <Search
        className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-slate-500"
        aria-hidden="true"
      />
      <Input type="search" className={className ? `pl-8 ${className}` : "pl-8"} {...props} />
    </div>
  );
}
