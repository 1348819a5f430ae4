import { type RefObject, useEffect, useState } from "react";

/**
 * The height left below an element down to the bottom of the viewport, minus `reserve` pixels
 * (for a table: its header, footer and the page's bottom padding). The virtual table needs a
 * height in pixels; this keeps the whole list on screen as filters and bars come and go.
 */
export function useRemainingHeight(ref: RefObject<HTMLElement | null>, reserve: number, minimum = 320): number {
  const [height, setHeight] = useState(minimum);
  useEffect(() => {
    let frame = 0;
    const measure = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const element = ref.current;
        if (element) {
          const top = element.getBoundingClientRect().top + window.scrollY;
          setHeight(Math.max(minimum, Math.floor(window.innerHeight - top - reserve)));
        }
      });
    };
    measure();
    window.addEventListener("resize", measure);
    // Filter rows, condition tags and the bulk bar above the table change its position.
    const observer = new ResizeObserver(measure);
    const parent = ref.current?.parentElement;
    if (parent) {
      // The parent grows when a child appears later (the bulk bar once rows are selected), which
      // observing the children present now would miss. The height set here does not move the
      // table's top, so the measurement it triggers settles at once.
      observer.observe(parent);
      for (const child of Array.from(parent.children)) {
        if (child !== ref.current) {
          observer.observe(child);
        }
      }
    }
    observer.observe(document.body);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener("resize", measure);
      observer.disconnect();
    };
  }, [ref, reserve, minimum]);
  return height;
}
