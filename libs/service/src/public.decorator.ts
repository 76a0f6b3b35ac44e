import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'imgsearch:public';

/** Opts a route or controller out of the global auth guard; everything else is protected. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);
