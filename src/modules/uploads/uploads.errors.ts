import { defineErrors } from '../../common/errors/domain-error';

export const UploadsError = defineErrors('UploadsError', {
  FILE_REQUIRED: [400, 'Send the file as multipart/form-data in the field "file"'],
  EMPTY_FILE: [400, 'The file is empty'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Only JPEG, PNG, WebP, HEIC/HEIF/AVIF, GIF and PDF files are accepted'],
  IMAGE_UNREADABLE: [422, 'The file looks like an image but cannot be read'],
  IMAGE_TOO_MANY_PIXELS: [422, 'The image has too many pixels'],
  IMAGE_TOO_MANY_FRAMES: [422, 'The animation has too many frames'],
  UPLOAD_PROCESSING: [409, 'The file is still being processed: try again in a moment'],
  UPLOAD_FAILED: [409, 'Processing this file failed: it has no content to show'],
  VARIANT_NOT_AVAILABLE: [404, 'This file has no such variant'],
});
