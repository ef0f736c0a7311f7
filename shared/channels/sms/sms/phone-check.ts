// What target.ts loads on first use: only this of libphonenumber-js (a dynamic import of the package would keep all of it).
export { isValidPhoneNumber } from 'libphonenumber-js';
