import { describe, expect, it } from 'vitest';
import { checkJsonShape, parseForShape } from '../../../shared/schemas/json-shape.js';

const issueOf = (text: string) => checkJsonShape(parseForShape(text));

describe('a body checked for its shape', () => {
  it('refuses each number JavaScript would change, wherever it is', () => {
    expect(issueOf('{"data":{"id":9007199254740993}}')).toMatchObject({ path: 'data.id', message: expect.stringContaining('beyond 2^53') });
    expect(issueOf('{"data":{"n":-12345678901234567}}')).toMatchObject({ path: 'data.n' });
    expect(issueOf('{"data":[1, 2e400]}')).toMatchObject({ path: 'data.1', message: expect.stringContaining('Infinity') });
    expect(issueOf('{"data":{"tiny":1E-400}}')).toMatchObject({ path: 'data.tiny', message: expect.stringContaining('become 0') });
  });

  it('takes numbers a double holds, and a long decimal rounded, as JSON.parse would', () => {
    const text = '{"type":"x","data":{"n":9007199254740991,"f":0.1234567890123456789,"e":1.5e3,"small":42,"s":"1e999 in a string"}}';
    expect(issueOf(text)).toBeUndefined();
    expect(parseForShape('{"type":"x","data":{"n":42,"list":[1,2.5,-3],"s":"a"}}')).toEqual({
      type: 'x',
      data: { n: 42, list: [1, 2.5, -3], s: 'a' },
    });
  });

  it('refuses reserved keys and control characters, keeps the last of a key given twice', () => {
    expect(issueOf('{"data":{"__proto__":{"x":1}}}')).toMatchObject({ path: 'data.__proto__', message: 'is a reserved name' });
    expect(issueOf('{"title":"a\\u0007b"}')).toMatchObject({ path: 'title' });
    expect(parseForShape('{"a":1,"a":2}')).toEqual({ a: 2 });
    expect(parseForShape('{"a":')).toBeUndefined();
  });
});
