/** A data-* attribute map. */
export type DataAttributes = Record<`data-${string}`, string>;

/**
 * Props that carry a data-testid into antd sub-components configured through props
 * objects (okButtonProps, cancelButtonProps…).
 */
export function testId(id: string): DataAttributes {
  return { "data-testid": id };
}
